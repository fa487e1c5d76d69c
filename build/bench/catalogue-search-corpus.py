import random
random.seed(7)
words="教育 经费 投入 学校 食堂 管理 通知 关于 印发 工作 要点 安全 招生 方案 义务 阶段 财政 预算 决算 公开 政府 信息 规划 计划 人事 任免 行政 执法 处罚 许可 收费 采购 项目 统计 公告 县 市 年度 报告 实施 意见 办法 规定 加强 推进 改革 发展 建设 服务 保障 质量 标准 农村 城市 教师 学生 幼儿园 高中 职业 培训 卫生 健康 环境 保护 交通 水利 住房 社会 保险 就业 扶贫 乡村 振兴".split()
def text(n): return "".join(random.choice(words) for _ in range(n))
with open("/tmp/docs.tsv","w") as f:
    for i in range(100000):
        title=f"{2015+i%10}年"+text(6)
        body=text(300)
        summary=text(30)
        f.write(f"{i}\t{title}\t{summary}\t{body}\n")
