+[<]

Scan left from cell zero touches cell minus one at the closing bracket
