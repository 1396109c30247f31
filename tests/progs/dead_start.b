[This loop never runs .+.+. even with [nested] output]+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++.
