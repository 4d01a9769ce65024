package golden.below

p := 1

p.q := 2

p.r[s] := 3 if s := "s"

set contains 1

set.x := 2

obj[k] := 1 if some k in ["a"]

obj.b := 2
