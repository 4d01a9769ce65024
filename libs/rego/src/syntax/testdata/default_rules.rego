package d

default allow := false
default limit = 10
default f(_) := 0
