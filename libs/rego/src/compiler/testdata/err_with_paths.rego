package golden.with_paths

p if {
	some k in ["a"]
	input.a with input[k] as 1
	data.x with data.x[k] as 1
	[1 | true with nope.nope as 1]
}
