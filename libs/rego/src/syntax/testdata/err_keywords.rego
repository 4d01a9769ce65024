package e

if := 1
p if { some := 2 }
q if { every x in [1] }
r := 1 if { not not true }
import data.late
