# Fail closed on the pack's own data: a catalog, config or consent registry whose shape is
# wrong would silently loosen the rules (scopes given as a string require nothing, a typo'd
# label tags nothing, `freez: true` freezes nothing), so a decision that relies on malformed
# data is denied (`catalog_invalid`, `config_invalid`, `consent_invalid`) until it is fixed.
# A missing optional key is fine (settings.rego has strict fallbacks); a present key of the
# wrong type, an unknown key or an unknown label is not.
package mcp

import data.lib.catalog
import data.lib.sequence

violation contains v if {
	some kind, problems in data_problems
	count(problems) > 0
	first := sort(problems)[0]
	v := {
		"code": concat("_", [kind, "invalid"]),
		"message": concat("", [kind, " data is malformed (", format_int(count(problems), 10), " problem(s)), first: ", first]),
		"effect": "deny",
	}
}

# The fast checks (`*_ok`, at the end of this file) run on every decision and build no
# messages. The detailed problem lists (all of the data set, not only what this decision
# used) are built only when a fast check fails; a failure no detailed check explains is still
# reported, never allowed.
data_problems[kind] := ps if {
	some kind, ok in {"catalog": catalog_ok, "config": config_ok, "consent": consent_ok}
	ok == false
	ps := problems_or_unexplained(problems_of(kind))
}

problems_of("catalog") := catalog_problems

problems_of("config") := config_problems

problems_of("consent") := consent_problems

problems_or_unexplained(ps) := ps if count(ps) > 0
else := {"unexplained shape error"}

known_labels := catalog.known_labels

catalog_keys := {"servers", "allow_unknown_tools", "unknown_tool_labels", "custom_labels"}

server_keys := {"resource", "destructive_scope", "allow_unknown_tools", "default", "tools", "description"}

entry_keys := {
	"scopes", "labels", "identity_params", "identity_nested", "max_calls_per_session",
	"limits", "auto_approve", "description",
}

# ---- config sections and limits ------------------------------------------------------------

config_sections := {
	"toxic_flow": {"mode": "mode"},
	"trifecta": {"mode": "mode"},
	"loop": {"max_repeats": "count", "window_seconds": "window"},
	"session": {"max_calls": "count"},
	"destructive": {"max_calls": "count", "window_seconds": "window"},
	"consent": {"require_entry": "boolean"},
}

limit_ok("max_repeats", x) if non_negative(x)

limit_ok("window_seconds", x) if setting_ok("window", x)

setting_ok("mode", x) if x in {"deny", "ask"}

setting_ok("count", x) if non_negative(x)

# A zero window would count nothing and silently switch the rule off.
setting_ok("window", x) if {
	is_number(x)
	x > 0
}

setting_ok("boolean", x) if is_boolean(x)

# ---- shapes ----------------------------------------------------------------------------------

string_list(x) if {
	is_array(x)
	every s in x { is_string(s) }
}

label_list(x) if {
	is_array(x)
	every l in x { l in known_labels }
}

string_map(x) if {
	is_object(x)
	every _, v in x { is_string(v) }
}

non_negative(x) if {
	is_number(x)
	x >= 0
}

# ---- fast checks -----------------------------------------------------------------------------
# What this decision relies on, checked on every decision at a cost independent of the catalog's
# size: the catalog's top-level keys, the called server and its entry, and (through
# lib.catalog.label_index, which marks malformed label lists) the labels of executed history
# steps. A malformed entry of some other tool does not decide this call; the shipped-data test
# checks the whole catalog (`catalog_problems` must be empty).

default catalog_ok := false

catalog_ok if {
	not data.catalog
} else if {
	c := data.catalog
	is_object(c)
	every k, x in c { catalog_key_ok(k, x) }
	called_server_ok
	called_entry_ok
	not catalog.invalid_labels in sequence.labels_seen
}

catalog_key_ok("servers", x) if is_object(x)

catalog_key_ok("allow_unknown_tools", x) if is_boolean(x)

catalog_key_ok("unknown_tool_labels", x) if label_list(x)

catalog_key_ok("custom_labels", x) if string_list(x)

default called_server_ok := true

called_server_ok := server_ok(data.catalog.servers[server])

default called_entry_ok := true

called_entry_ok := entry_ok(entry)

server_ok(server) := true if {
	is_object(server)
	every k, x in server { server_key_ok(k, x) }
} else := false

server_key_ok("resource", x) if is_string(x)

server_key_ok("destructive_scope", x) if is_string(x)

server_key_ok("allow_unknown_tools", x) if is_boolean(x)

server_key_ok("description", _) := true

server_key_ok("default", x) if entry_ok(x)

server_key_ok("tools", x) if is_object(x)

entry_ok(e) := true if {
	is_object(e)
	string_list(e.scopes)
	label_list(e.labels)
	every k, x in e { entry_key_ok(k, x) }
} else := false

entry_key_ok("scopes", _) := true

entry_key_ok("labels", _) := true

entry_key_ok("description", _) := true

entry_key_ok("identity_params", x) if string_map(x)

entry_key_ok("identity_nested", x) if is_boolean(x)

entry_key_ok("auto_approve", x) if is_boolean(x)

entry_key_ok("max_calls_per_session", x) if non_negative(x)

entry_key_ok("limits", x) if {
	is_object(x)
	every k, n in x { limit_ok(k, n) }
}

default config_ok := false

config_ok if {
	not data.config
} else if {
	c := data.config
	is_object(c)
	every k, x in c { config_key_ok(k, x) }
}

config_key_ok("trusted_issuers", x) if string_list(x)

config_key_ok("freeze", x) if is_boolean(x)

config_key_ok(section, x) if {
	keys := config_sections[section]
	is_object(x)
	every k, v in x { setting_ok(keys[k], v) }
}

default consent_ok := false

# Only the caller's own entry matters to this decision (the registry may list many subjects).
consent_ok if {
	not data.consent
} else if {
	is_object(data.consent)
	not consent_entry_bad
}

consent_entry_bad if {
	clients := data.consent[claims.sub]
	not string_list(clients)
}
