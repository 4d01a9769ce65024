# Tool-catalog lookups (data.catalog) shared by the sequence library and the MCP rules.
# A lookup that finds nothing stays undefined, so callers fail closed.
package lib.catalog

# The server a call targets. A call without a server resolves to the one server offering a
# tool of that name; an ambiguous or unknown name stays unresolved.
server_of(tool) := tool.server if is_string(tool.server)

server_of(tool) := only if {
	not is_string(tool.server)
	is_string(tool.name)
	owners := {s | some s; data.catalog.servers[s].tools[tool.name]}
	count(owners) == 1
	some only in owners
}

has_tool(server, name) if data.catalog.servers[server].tools[name]

has_default(server) if data.catalog.servers[server]["default"]

unknown_allowed(server) if data.catalog.servers[server].allow_unknown_tools == true

unknown_allowed(_) if data.catalog.allow_unknown_tools == true

# Tools admitted by allow_unknown_tools are treated as both reading untrusted content and
# writing to a public sink unless the catalog names other labels: an unknown tool could be
# anything, so it gets the strictest reasonable reading.
default unknown_labels := ["untrusted_content", "public_sink"]

unknown_labels := data.catalog.unknown_tool_labels if is_array(data.catalog.unknown_tool_labels)

unknown_entry := {"scopes": [], "labels": unknown_labels}

# The entry governing a tool: its own, else its server's `default` entry, else a synthetic
# entry when unknown tools are allowed. Undefined means "unknown tool".
entry(tool) := e if {
	is_string(tool.name)
	e := data.catalog.servers[server_of(tool)].tools[tool.name]
}

entry(tool) := e if {
	is_string(tool.name)
	s := server_of(tool)
	not has_tool(s, tool.name)
	e := data.catalog.servers[s]["default"]
}

entry(tool) := unknown_entry if {
	is_string(tool.name)
	s := server_of(tool)
	not has_tool(s, tool.name)
	not has_default(s)
	unknown_allowed(s)
}

# The catalog labels of a tool as a set (empty for an unknown tool).
labels(tool) := {l | some l in entry(tool).labels}

# "server/tool" → label set of every listed tool, built once per decision, so joining a long
# history with the catalog costs one lookup per step.
label_index := {id: ls |
	some s, server in data.catalog.servers
	some t, spec in server.tools
	id := concat("/", [s, t])
	ls := {l | some l in spec.labels}
}
