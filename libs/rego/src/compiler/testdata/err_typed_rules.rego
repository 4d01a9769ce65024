package golden.typed_rules

limit := 10

name(x) := sprintf("%v", [x])

names contains n if some n in input.names

p if {
	trim(limit, " ")
	abs(name(1))
	upper(names)
	lower(data.golden.typed_rules.limit)
	upper(input.anything)
	count(names)
}
