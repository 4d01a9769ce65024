package elses

size := "small" if {
	input.n < 10
} else := "medium" if {
	input.n < 100
} else := "large"

level(x) := 1 if x > 10
else := 2 if x > 5
else := 3

flag if {
	input.a
} else {
	input.b
}
