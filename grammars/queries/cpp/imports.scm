; Bantam's import query (C++). Each #include is one @import.statement. Quoted includes give the path
; without quotes ('pricing.h'); system includes keep their angle brackets ('<stdio.h>') so
; resolution can recognise and skip them.
(preproc_include path: (string_literal (string_content) @import.source)) @import.statement
(preproc_include path: (system_lib_string) @import.source) @import.statement
