# Rules 5 and 6: data flows across the session. A session "holds" a label once an executed
# step (allowed or asked, see lib.sequence) carried it; this call's own labels count too.
package mcp

import data.lib.sequence

held := sequence.labels_seen | labels

sink_call if "public_sink" in labels

# Lethal trifecta: untrusted instructions + private data + a way out, in any order.
violation contains v if {
	sink_call
	"untrusted_content" in held
	"private_data" in held
	v := {
		"code": "lethal_trifecta",
		"message": sprintf("%s writes to a public sink in a session holding untrusted content and private data", [tool_display]),
		"effect": trifecta_effect,
	}
}

# Toxic flow, the ordered form: untrusted content read, then private data, then this sink.
violation contains v if {
	sink_call
	first := sequence.first_position("untrusted_content")
	private_read_since(first)
	v := {
		"code": "toxic_flow",
		"message": sprintf("%s would publish private data read after untrusted content", [tool_display]),
		"effect": toxic_flow_effect,
	}
}

private_read_since(i) if {
	some j in sequence.label_positions("private_data")
	j >= i
}

# The sink itself reads private data (one call that both reads and publishes).
private_read_since(_) if "private_data" in catalog_labels

# Once secrets were read, nothing may go to a public sink. Only earlier steps count: a tool
# that both reads secrets and writes is judged by the other rules.
violation contains v if {
	sink_call
	"secrets" in sequence.labels_seen
	v := {
		"code": "secrets_exfiltration",
		"message": sprintf("%s writes to a public sink after secrets were read in this session", [tool_display]),
		"effect": "deny",
	}
}
