package objs

by_name[name] := tool if {
	some tool in input.tools
	name := tool.name
}

flag[k] if k := "on"

ms[m.z] := m if {
	m := input.xs[_]
}
