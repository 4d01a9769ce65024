package golden.elses

p := 1 if {
	input.a
} else := y if {
	input.b
} else := 3 if {
	not w
	w == 1
}
