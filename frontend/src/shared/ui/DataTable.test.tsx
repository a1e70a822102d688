import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";

import { ACTIONS, DataTable } from "./DataTable";

it("renders the scrolling box, a hidden caption, the column headers and the rows", () => {
  const html = renderToStaticMarkup(
    <DataTable caption="Members of Budget" columns={["User", { head: "Spans", numeric: true }, ACTIONS]}>
      <tr>
        <th scope="row">ada</th>
        <td className="num">3</td>
        <td>
          <button type="button">Remove</button>
        </td>
      </tr>
    </DataTable>,
  );
  expect(html).toBe(
    '<div class="table-scroll"><table>' +
      '<caption class="visually-hidden">Members of Budget</caption>' +
      '<thead><tr><th scope="col">User</th><th scope="col" class="num">Spans</th>' +
      '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>' +
      '<tbody><tr><th scope="row">ada</th><td class="num">3</td><td><button type="button">Remove</button></td></tr></tbody>' +
      "</table></div>",
  );
});

it("names the table by a heading instead of a caption", () => {
  const html = renderToStaticMarkup(
    <DataTable labelledBy="tokens-heading" columns={["Name"]}>
      {null}
    </DataTable>,
  );
  expect(html).toBe(
    '<div class="table-scroll"><table aria-labelledby="tokens-heading">' +
      '<thead><tr><th scope="col">Name</th></tr></thead><tbody></tbody></table></div>',
  );
});
