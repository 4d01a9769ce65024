package complete

pi := 3.14159
e = 2.71e0
big := 123456789012345678901234567890
neg := -1.5e-3
name := "arbiter"
nothing := null
yes := true
allow if {
	input.user == "alice"
}
allow if input.admin
deny := msg if {
	msg := sprintf("denied %v", [input.user])
}
