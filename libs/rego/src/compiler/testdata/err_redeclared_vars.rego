package golden.locals

p if {
	x := 1
	x := 2
}

q if {
	some y
	y := input.y
}

r if {
	z = input.z
	z := 3
}

s := [v | v := 1; v := 2]
