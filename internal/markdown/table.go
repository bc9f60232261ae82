package markdown

// table is Table: a header row, an alignment row and body rows.
func (p *parser) table(i int) int {
	header, j := p.tableRow(i)
	if j < 0 {
		return -1
	}
	aligns, j := p.tableAligns(j)
	if j < 0 {
		return -1
	}
	var rows [][][]Node
	for {
		row, end := p.tableRow(j)
		if end < 0 {
			break
		}
		rows = append(rows, row)
		j = end
	}
	alignAt := func(k int) string {
		if k < len(aligns) {
			return aligns[k]
		}
		return ""
	}
	cell := func(content []Node, k int) Node {
		c := node(TableCell, trimCell(content))
		if a := alignAt(k); a != "" {
			c.Attrs = &Attrs{Align: a}
		}
		return c
	}
	// Every row gets as many cells as the header, padded with empty ones.
	headerCells := make([]Node, len(header))
	for k, content := range header {
		headerCells[k] = cell(content, k)
	}
	bodyRows := make([]Node, len(rows))
	for r, row := range rows {
		cells := make([]Node, len(header))
		for k := range header {
			var content []Node
			if k < len(row) {
				content = row[k]
			}
			cells[k] = cell(content, k)
		}
		bodyRows[r] = node(TableRow, cells)
	}
	n := node(Table, bodyRows)
	n.Attrs = &Attrs{Header: headerCells, Fallback: &[2]int{i, j}}
	p.res = n
	return j
}

// tableRow is TableRow: "|" then cells each closed by "|", then an optional
// line break. A cell may hold "\|" for a literal bar.
func (p *parser) tableRow(i int) ([][]Node, int) {
	if p.at(i) != '|' || i >= p.n {
		return nil, -1
	}
	j := i + 1
	var cells [][]Node
	for {
		content, end := p.tableCell(j)
		if end >= p.n || p.s[end] != '|' {
			break
		}
		cells = append(cells, content)
		j = end + 1
	}
	if cells == nil {
		return nil, -1
	}
	if end := p.eol(j); end >= 0 {
		j = end
	}
	return cells, j
}

// tableCell is TableCellContent: inline items up to a bar or a line break.
func (p *parser) tableCell(i int) ([]Node, int) {
	base := len(p.stack)
	for i < p.n {
		p.steps++
		if p.is(i, "\\|") {
			p.stack = append(p.stack, plainText("|"))
			i += 2
			continue
		}
		c := p.s[i]
		if c == '|' || isEOLUnit(c) {
			break
		}
		if end := p.inlineItem(i); end >= 0 {
			p.stack = append(p.stack, p.res)
			i = end
			continue
		}
		p.stack = append(p.stack, p.plain(i, i+1))
		i++
	}
	return p.reduceFrom(base), i
}

// tableAligns is the alignment row: "|" then cells like " :---: " each
// closed by "|".
func (p *parser) tableAligns(i int) ([]string, int) {
	if p.at(i) != '|' || i >= p.n {
		return nil, -1
	}
	j := i + 1
	var aligns []string
	for {
		k := p.skipSpaces(j)
		left := p.at(k) == ':' && k < p.n
		if left {
			k++
		}
		d := k
		for d < p.n && p.s[d] == '-' {
			d++
		}
		if d == k {
			break
		}
		right := d < p.n && p.s[d] == ':'
		if right {
			d++
		}
		d = p.skipSpaces(d)
		if d >= p.n || p.s[d] != '|' {
			break
		}
		var a string
		switch {
		case left && right:
			a = "center"
		case right:
			a = "right"
		case left:
			a = "left"
		}
		aligns = append(aligns, a)
		j = d + 1
	}
	if aligns == nil {
		return nil, -1
	}
	if end := p.eol(j); end >= 0 {
		j = end
	}
	return aligns, j
}

// trimCell trims the blanks around a table cell's content the way the
// reference does: it only looks at the first and the last node, and drops
// them when nothing is left.
func trimCell(items []Node) []Node {
	out := append([]Node(nil), items...)
	if len(out) > 0 && out[0].Type == PlainText {
		if v := jsTrimLeft(out[0].Text); v == "" {
			out = out[1:]
		} else if v != out[0].Text {
			out[0] = plainText(v)
		}
	}
	if k := len(out) - 1; k >= 0 && out[k].Type == PlainText {
		if v := jsTrimRight(out[k].Text); v == "" {
			out = out[:k]
		} else if v != out[k].Text {
			out[k] = plainText(v)
		}
	}
	return out
}
