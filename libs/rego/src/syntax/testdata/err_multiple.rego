package e

a := [1, 2

b if {
	x := 
}

c := 1 +* 2

d := "unterminated

f := 1 !
g := 2
