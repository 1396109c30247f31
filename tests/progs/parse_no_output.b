+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.[

A parse error means nothing runs so no output
