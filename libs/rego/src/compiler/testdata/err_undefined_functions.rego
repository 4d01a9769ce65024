package golden.functions

f(x) := x

p if {
	nope(1)
	data.lib.nope(2)
	f(1, 2, 3)
	count(1, 2, 3)
	startswith("a")
	strings.nope("a")
}
