package golden.types

p if {
	x := 1
	startswith(x, "a")
	lower(["a"])
	count(1)
	n := count(input.xs)
	upper(n)
	s := {y | some y in input.ys}
	concat(",", s)
	array.concat(s, [1])
}
