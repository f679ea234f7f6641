"""The SQL page: one SELECT through the sandbox engine (in the worker process), results as a table,
downloads as CSV or Parquet. GET only: the statement is a query parameter, nothing is stored."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from crawler.web import inputs
from crawler.web.app import render

PAGE_ROWS = 1000
DOWNLOAD_ROWS = 100_000
EXAMPLE = "SELECT site, count(*) AS articles FROM articles GROUP BY site ORDER BY site"
STATUS = {"QueryRefused": 400, "QueryTimeout": 408, "ResultTooLarge": 413, "QueryOutOfMemory": 413}


def statement(request: Request) -> str | None:
    return inputs.text(request.query_params.get("q"), "q", limit=inputs.MAX_SQL)


def sql_page(request: Request):
    sql = statement(request)
    answer = request.app.state.sql.run(sql, max_rows=PAGE_ROWS) if sql else None
    status = STATUS.get(answer.kind, 400) if answer and answer.error else 200
    table = answer.table if answer and answer.table is not None else None
    resp = render(request, "sql.html", sql=sql or "", example=EXAMPLE, answer=answer,
                  columns=table.column_names if table is not None else [],
                  rows=[list(r.values()) for r in table.to_pylist()] if table is not None else [],
                  page_rows=PAGE_ROWS, timeout=request.app.state.sql.timeout)
    resp.status_code = status
    return resp


def _download(request: Request, fmt: str):
    sql = inputs.text(request.query_params.get("q"), "q", limit=inputs.MAX_SQL, required=True)
    answer = request.app.state.sql.run(sql, max_rows=DOWNLOAD_ROWS)
    if answer.error:
        return PlainTextResponse(f"govnews: {answer.error}\n", status_code=STATUS.get(answer.kind, 400))
    buf = io.BytesIO()
    if fmt == "csv":
        pacsv.write_csv(answer.table, buf)
        media = "text/csv; charset=utf-8"
    else:
        pq.write_table(answer.table, buf)
        media = "application/vnd.apache.parquet"
    return Response(buf.getvalue(), headers={"content-type": media,
                                             "content-disposition": f'attachment; filename="query.{fmt}"'})


def sql_csv(request: Request):
    return _download(request, "csv")


def sql_parquet(request: Request):
    return _download(request, "parquet")


ROUTES = [("/sql", sql_page), ("/sql.csv", sql_csv), ("/sql.parquet", sql_parquet)]
