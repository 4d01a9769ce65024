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
	n := sequence.label_count_within("destructive", destructive_window_seconds)
	n >= destructive_max_calls
	v := {
		"code": "destructive_rate",
		"message": sprintf("more than %d destructive calls within %d s", [destructive_max_calls, destructive_window_seconds]),
		"effect": "deny",
	}
}

write_labels := {"public_sink", "destructive", "admin"}

violation contains v if {
	frozen
	count(labels & write_labels) > 0
	v := {
		"code": "freeze_active",
		"message": sprintf("writes are frozen; %s is a write", [tool_display]),
		"effect": "deny",
	}
}
