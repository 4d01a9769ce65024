package w

p if {
	data.lib.allow with input as {"user": "bob"} with data.config.mode as "strict"
	not q with input.user as "eve"
	count(input.x) == 2
		with input.x as [1, 2]
}

q if input.user == "bob"
