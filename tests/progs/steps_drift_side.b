A drifting loop walks down from cell 10 to cell 2 in four back edges; its body
holds a conditional move from the next cell to three cells left that never runs
and at cell 2 would touch cell minus one: the fourth back edge is where compiled
code checks the whole range again (the one side it checks fails there) and it
counts one step like the others: four steps are enough
>>+>>+>>+>>+>>+[>[<<<<+>>>>-]<<<]+++++++++++++++++++++++++++++++++++++++++++++++++.
