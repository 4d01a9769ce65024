package golden.unsafe

p if {
	x > 1
}

q contains y if {
	input.a
}

r if {
	not z = 1
}

s if {
	a := b + 1
	count(a) > c
}

t := [x | x > y; x = input.a[_]]
