package sets

deny contains msg if {
	some tool in input.tools
	msg := sprintf("tool %s is blocked", [tool])
}

fixed contains "always"

nested.more[x] contains y if {
	some x, y in data.pairs
}
