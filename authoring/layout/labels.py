"""Every fixed word and sign the layout prints, in one place (the brand's names, the
report's titles and the analysts' texts come from styles/ and entries/)."""

# cover
REPORT_KIND = "证券研究报告：{}"          # the report type
PUBLISHED = "发布时间：{:%Y-%m-%d}"
AUTHOR_ROLE = "{}：{}"                   # role, name
AUTHOR_SAC = "SAC 登记编号：{}"
AUTHOR_EMAIL = "Email：{}"
RECENT_REPORTS = "近期研究报告"
RECENT_REPORT = ("《", "》 - ", "{:%Y.%m.%d}")  # around a recent report's title, its date
BULLET = "● "                             # a key point and 风险提示 on the cover
RISK_TITLE = "风险提示"                   # the cover's risk block, as messages name it
RISK = RISK_TITLE + "："
TITLE_SERIES = "——"                      # before the series and week in a title: kept on one line

# 目录 and 图表目录
CONTENTS = "目录"
FIGURES = "图表目录"
LEADER = ". "                            # the dot leader, repeated
WIDEST_SECTION = "5"                     # the section number, item number and page number
WIDEST_ITEM = "1.10"                     # ... their column is measured on
WIDEST_PAGE = "000"

# figures
FIGURE = "图表 {}："                      # before a caption's title, and in 图表目录
FIGURE_REF = "图表 {}"                   # a figure named in running text ([[id]]) and in messages
WIDEST_FIGURE = "图表 00："
NOTE = "注："
PAPER = "论文"                            # the label above a paper card's title
LIST_CJK = "，"                          # between authors with Chinese names
LIST_LATIN = ", "                        # between authors with Latin names
LIST_AFFILIATIONS = "; "
META = " · "                             # between a quote's platform and date, a paper's venue parts
HANDLE = "  {}"                          # after a quote's author
QUOTE_DATE = "{:%Y-%m-%d}"

# the body
NUMBER_GAP = "\u3000"                    # one ideographic space between a heading's number and title
LIST_BULLET = "•"
LIST_NUMBER = "{}."
TERM = "{}："
NAMES = "、"                             # between the analysts' names (PDF information)

# back matter
RATINGS = "{}投资评级说明"                 # the institute
RATINGS_HEAD = ("投资评级标准", "类型", "评级", "说明")
STATEMENT = "分析师声明"
DISCLAIMER = "免责声明"
PROFILE = "公司简介"
CONTACT_EMAIL = "邮箱：{}"
CONTACT_ADDRESS = "地址：{}"
CONTACT_POSTCODE = "邮编：{}"
