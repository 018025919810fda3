; Bantam's import query (C#). Each using directive is one @import.statement; @import.source is the
; namespace or type as written ('Shop.Pricing', 'System.Math' for `using static`, 'A.B' for the
; alias `using X = A.B`). A namespace brings in no particular names.
(using_directive . [(qualified_name) (identifier)] @import.source .) @import.statement
(using_directive name: (identifier) [(qualified_name) (identifier)] @import.source .) @import.statement
