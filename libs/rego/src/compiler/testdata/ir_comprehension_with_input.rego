# entrypoints: g/r
package g

evens := [x | some x in input.xs; x % 2 == 0]

r := count(evens) if {
	true
} else := 0
