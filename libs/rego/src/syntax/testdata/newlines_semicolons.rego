package nl

p if { x := 1; y := 2; x < y }
q if {
	x := [1,
		2]
	y := x[0]
	y == 1
}
r := [x | x := 1; true]
s if { true }
