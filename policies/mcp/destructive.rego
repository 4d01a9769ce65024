# Rule 8: destructive calls go to a human unless the catalog pre-approves them, mass
# destruction is stopped, and a freeze stops every write.
package mcp

import data.lib.sequence

destructive_call if "destructive" in labels

# Only the catalog's own destructive label can be pre-approved: a tool that merely its
# annotations call destructive always goes to a human.
auto_approved if {
	entry.auto_approve == true
	"destructive" in catalog_labels
}

violation contains v if {
	destructive_call
	not auto_approved
	v := {
		"code": "destructive_approval",
		"message": sprintf("%s is destructive and needs human approval", [tool_display]),
		"effect": "ask",
	}
}

violation contains v if {
	destructive_call
	n := destructive_recent
	n >= destructive_max_calls
	v := {
		"code": "destructive_rate",
		"message": sprintf("more than %d destructive calls within %d s", [destructive_max_calls, destructive_window_seconds]),
		"effect": "deny",
	}
}

# Executed destructive steps within the window: catalog-labelled ones, and those a human was
# asked to approve as destructive (`destructive_approval` in their reasons: tools only their
# annotations called destructive, which the catalog join cannot see).
destructive_recent := count([1 |
	cutoff := sequence.now - (destructive_window_seconds * 1000000000)
	some i in sequence.executed_steps
	destructive_step(i)
	sequence.recent(sequence.history[i], cutoff)
])

destructive_step(i) if {
	"destructive" in sequence.history_labels[i]
} else if {
	some r in sequence.history[i].reasons
	r == "destructive_approval"
}

write_labels := {"public_sink", "destructive", "admin"}

# A write: a write label, or a required scope that grants writing (`files:write`,
# `repo:delete`, `org:admin`…) — a tool that overwrites private files may carry no write label.
write_call if count(labels & write_labels) > 0

write_call if {
	some s in required_scopes
	some suffix in write_scope_suffixes
	endswith(s, suffix)
}

write_scope_suffixes := [":write", ":delete", ":admin", ":manage", ".write", ".delete", ".admin", ".manage"]

violation contains v if {
	frozen
	write_call
	v := {
		"code": "freeze_active",
		"message": sprintf("writes are frozen; %s is a write", [tool_display]),
		"effect": "deny",
	}
}
