"""CSV for the indicator API: the page's results as rows, headers from the first row's keys."""

import csv
import io

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        out = io.StringIO()
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: (",".join(map(str, v)) if isinstance(v, list) else "" if v is None else v)
                        for k, v in row.items()
                    }
                )
        return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs read Chinese
