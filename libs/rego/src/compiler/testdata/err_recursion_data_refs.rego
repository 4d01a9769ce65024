package golden.recursion_refs

p contains x if {
	some x in data.golden.recursion_refs.q
}

q contains x if {
	some x in p
}

r := count(data.golden.recursion_refs)
