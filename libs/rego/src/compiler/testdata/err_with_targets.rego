package golden.with

f(x, y) := x

q := {"x": 1}

p if {
	true with nope as 2
	true with eq as 1
	true with internal.member_2 as 1
	f(1, 2) with f as count
	q.x == 2 with data.golden.with.q.x as 2
}
