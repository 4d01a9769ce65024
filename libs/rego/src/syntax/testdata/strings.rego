package strs

plain := "hello"
escapes := "q\" b\\ s\/ \b\f\n\r\t"
unicode := "caf\u00e9 \ud83d\ude00"
emoji := "😀 ünïcödé"
raw := `C:\path\no "escapes"
spans lines`
after := "loc check after multibyte"
