"""The demo district sites, one module per CMS family (``python -m crawler.demo.build`` writes them).

* :mod:`.haidian` — ``demo-haidian``, TRS WCM (``index_N.html`` lists, ``tYYYYMMDD_N.html`` articles, a GBK column);
* :mod:`.yanqing` — ``demo-yanqing``, Hanweb (``<script type="text/xml">`` datastore lists, ``art_<col>_<id>.html``);
* :mod:`.text` — the deterministic text pools both draw from; :mod:`.common` — the article model,
  the seeded helpers and the writers of files and expectations.
"""
