A loop that never ends
+[>+<]
