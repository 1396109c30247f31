A loop after a clear and an increment does run and prints O
+[-]+[->+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++<]>.
