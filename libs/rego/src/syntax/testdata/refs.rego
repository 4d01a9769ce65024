package r

a := input.a.b[0]["c"][_]
b := [1, 2, 3][1]
c := {"k": "v"}.k
d := data.x[input.i].y
e := count(input.xs)
f := object.get(input, "k", "d").field
g := input.some.every
h := split("a.b", ".")[0]
i := input.tools[_].args[_]
