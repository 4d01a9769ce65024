package quant

p if {
	some x, y
	x := 1
	y := 2
	some v in input.list
	some k, w in input.map
	every item in input.items {
		item.ok
	}
	every i, t in input.tools {
		i >= 0
		t.name != ""
	}
	not input.blocked
	k, w in input.map
	v in input.list
}
