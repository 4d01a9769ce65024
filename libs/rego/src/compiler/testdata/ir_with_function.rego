# entrypoints: g/r
package g

now := time.now_ns()

f(x) := x + 1

r := [a, b] if {
	a := now with time.now_ns as 5
	b := f(1) with f as input.v
}
