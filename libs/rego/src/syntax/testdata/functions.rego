package fns

double(x) := y if {
	y := x * 2
}

is_admin(user) if user.role == "admin"

pair(a, [b, c], {"k": d}) := [a, b, c, d]

r := data.fns.double(4)
s := array.concat([1], [2])
