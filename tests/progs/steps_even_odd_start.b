Even step from an odd start never ends in 8 bits; the step limit stops it after printing C
+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.[--]
