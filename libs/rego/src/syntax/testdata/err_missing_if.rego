package e

p { true }

q[x] { x := 1 }

r := 1
