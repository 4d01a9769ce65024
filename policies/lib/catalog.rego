# Tool-catalog lookups (data.catalog) shared by the sequence library and the MCP rules.
# A lookup that finds nothing stays undefined, so callers fail closed.
package lib.catalog

# The server a call targets. A call without a server resolves to the one server offering a
# tool of that name; an ambiguous or unknown name stays unresolved.
server_of(tool) := s if {
	s := tool.server
	is_string(s)
} else := only if {
	owners := owners_by_name[tool.name]
	count(owners) == 1
	some only in owners
}

# Tool name → the servers listing it, built once per decision (history steps without a server
# resolve through it instead of scanning every server per step).
owners_by_name := {name: owners |
	some server in data.catalog.servers
	some name, _ in server.tools
	is_string(name)
	owners := {s | some s; data.catalog.servers[s].tools[name]}
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
} else := e if {
	is_string(tool.name)
	e := data.catalog.servers[server_of(tool)]["default"]
} else := unknown_entry if {
	is_string(tool.name)
	unknown_allowed(server_of(tool))
}

# The labels of a tool's entry; none for an unknown tool.
labels(tool) := ls if {
	ls := entry_labels(entry(tool))
} else := set()

# "server/tool" → label set of every listed tool, built once per decision, so joining a long
# history with the catalog costs one lookup per step.
label_index := {id: ls |
	some s, server in data.catalog.servers
	is_object(server.tools)
	some t, spec in server.tools
	id := concat("/", [s, t])
	ls := entry_labels(spec)
}

# The labels of a catalog entry. A label list that is not a list of known labels yields the
# marker `invalid_labels` instead of a silently smaller set: the MCP rules deny a session that
# relies on it (integrity.rego).
entry_labels(e) := ls if {
	is_array(e.labels)
	ls := {l | some l in e.labels}
	count(ls - known_labels) == 0
} else := {invalid_labels}

invalid_labels := "<malformed catalog labels>"

default_labels := {"untrusted_content", "private_data", "public_sink", "destructive", "secrets", "admin"}

# A pack that adds its own labels for its own rules lists them in `custom_labels`.
known_labels := default_labels | {l | some l in data.catalog.custom_labels; is_string(l)}
