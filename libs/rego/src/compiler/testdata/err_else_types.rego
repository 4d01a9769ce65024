package golden.else_types

p := upper(1) if {
	input.a
} else := lower([1]) if {
	input.b
} else := x if {
	x := {"a": 1}
	endswith(x, "a")
}

default q := 1

q := trim_space(2) if input.c
