Ten iterations is below the step limit so it prints E
++++++++++[>+++++++<-]>-.
