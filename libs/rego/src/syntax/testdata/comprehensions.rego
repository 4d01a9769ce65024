package compr

names := [n | some t in input.tools; n := t.name]
ids := {id | id := input.ids[_]}
by_id := {t.id: t | some t in input.tools}
multi := [x |
	some x in input.xs
	x > 1
]
nested := [[y | y := x[_]] | x := input.matrix[_]]
