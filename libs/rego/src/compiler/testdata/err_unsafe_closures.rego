package golden.closures

p := [x | x := input.a[_]; x > limit]

q := {k: v | some k in input.keys}

r if {
	every x in input.xs {
		x > bound
	}
}

f(a) := b if {
	a > 1
}
