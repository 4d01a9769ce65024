package refs

a.b.c := 1
a.b["d-e"] := 2
x.y[k] := v if {
	some k, v in {"p": 1, "q": 2}
}
foo["bar"](x) := x + 1
