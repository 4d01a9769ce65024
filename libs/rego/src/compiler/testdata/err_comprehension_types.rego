package golden.compr

p := [upper(x) | some x in [1, 2]; x > 0]

q := {k: lower(v) | v := 1; k := "a"}

r := {x | x := abs("a")}

s if every x in [1] {
	endswith(x, 2)
}
