# The detailed problem lists behind `catalog_invalid`, `config_invalid` and `consent_invalid`
# (integrity.rego): built only when a fast check failed, over the whole data set, so the
# message names the first problem and the shipped-data test can require none.
package mcp

# ---- catalog ---------------------------------------------------------------------------------

catalog_problems contains "catalog must be an object" if {
	c := data.catalog
	not is_object(c)
}

catalog_problems contains concat("", ["unknown key ", k]) if {
	is_object(data.catalog)
	some k, _ in data.catalog
	not k in catalog_keys
}

catalog_problems contains "servers must be an object" if {
	s := data.catalog.servers
	not is_object(s)
}

catalog_problems contains "allow_unknown_tools must be true or false" if {
	x := data.catalog.allow_unknown_tools
	not is_boolean(x)
}

catalog_problems contains "unknown_tool_labels must be a list of known labels" if {
	x := data.catalog.unknown_tool_labels
	not label_list(x)
}

catalog_problems contains "custom_labels must be a list of strings" if {
	x := data.catalog.custom_labels
	not string_list(x)
}

catalog_problems contains p if {
	is_object(data.catalog.servers)
	some name, server in data.catalog.servers
	some p in server_problems(name, server)
}

server_problems(name, server) := {concat("", ["servers.", name, " must be an object"])} if {
	not is_object(server)
} else := {concat("", ["servers.", name, ": ", p]) | some p in server_object_problems(server)}

server_object_problems(server) := ps if {
	ps := (({concat(" ", ["unknown key", k]) | some k, _ in server; not k in server_keys} |
		{concat(" ", [k, "must be a string"]) |
			some k in ["resource", "destructive_scope"]
			x := server[k]
			not is_string(x)
		}) |
		{"allow_unknown_tools must be true or false" | x := server.allow_unknown_tools; not is_boolean(x)}) |
		(({"tools must be an object" | x := server.tools; not is_object(x)} |
			{concat("", ["tools.", t, ": ", p]) | is_object(server.tools); some t, e in server.tools; some p in entry_problems(e)}) |
			{concat("", ["default: ", p]) | e := server["default"]; some p in entry_problems(e)})
}

entry_problems(e) := {"must be an object"} if {
	not is_object(e)
} else := ps if {
	ps := (({concat(" ", ["unknown key", k]) | some k, _ in e; not k in entry_keys} |
		{"scopes must be a list of strings" | not string_list(e.scopes)}) |
		{"labels must be a list of known labels" | not label_list(e.labels)}) |
		(({"identity_params must map argument names to claim names" | x := e.identity_params; not string_map(x)} |
			{concat(" ", [k, "must be true or false"]) |
				some k in ["auto_approve", "identity_nested"]
				x := e[k]
				not is_boolean(x)
			}) |
			({"max_calls_per_session must be a number >= 0" | x := e.max_calls_per_session; not non_negative(x)} |
				limits_problems(e)))
}

limits_problems(e) := {"limits must be an object"} if {
	x := e.limits
	not is_object(x)
} else := {concat(" ", ["limits:", k, "is not a known limit or out of range"]) |
	some k, x in e.limits
	not limit_ok(k, x)
}

# ---- config ----------------------------------------------------------------------------------

config_problems contains "config must be an object" if {
	c := data.config
	not is_object(c)
}

config_problems contains concat(" ", ["unknown key", k]) if {
	is_object(data.config)
	some k, _ in data.config
	not k in {"trusted_issuers", "freeze"}
	not config_sections[k]
}

config_problems contains "trusted_issuers must be a list of strings" if {
	x := data.config.trusted_issuers
	not string_list(x)
}

config_problems contains "freeze must be true or false" if {
	x := data.config.freeze
	not is_boolean(x)
}

config_problems contains concat("", [section, " must be an object"]) if {
	some section, _ in config_sections
	x := data.config[section]
	not is_object(x)
}

config_problems contains concat("", [section, ": unknown key ", k]) if {
	some section, keys in config_sections
	is_object(data.config[section])
	some k, _ in data.config[section]
	not keys[k]
}

config_problems contains concat("", [section, ".", k, " must be ", setting_type_text[type]]) if {
	some section, keys in config_sections
	is_object(data.config[section])
	some k, x in data.config[section]
	type := keys[k]
	not setting_ok(type, x)
}

setting_type_text := {"mode": "deny or ask", "count": "a number >= 0", "window": "a number > 0", "boolean": "true or false"}

# ---- consent registry ------------------------------------------------------------------------

consent_problems contains "the registry must map subjects to lists of client ids" if {
	c := data.consent
	not is_object(c)
}

consent_problems contains concat("", ["subject ", s, ": must be a list of client ids"]) if {
	is_object(data.consent)
	some s, clients in data.consent
	not string_list(clients)
}

