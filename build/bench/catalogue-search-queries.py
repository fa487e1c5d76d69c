import subprocess, json
def run(sql):
    out = subprocess.run(["runuser","-u","postgres","--","psql","-h","/tmp/pgb","-p","5499","-U","postgres","-At","-c",sql],capture_output=True,text=True).stdout
    return out
def ms(sql):
    best=1e9
    for _ in range(5):
        plan=json.loads(run("explain (analyze, format json) "+sql))
        best=min(best, plan[0]["Execution Time"])
    return best
for q in ["经费","教育经费","幼儿园高中","学生食堂管理","高速公路"]:
    b="{"+",".join(sorted(set(q[i:i+2] for i in range(len(q)-1))))+"}"
    tb=ms(f"select id from docs where bigrams @> '{b}' and strpos(search_text, '{q}') > 0 order by id desc limit 50")
    tt=ms(f"select id from docs where search_text like '%{q}%' order by id desc limit 50")
    tbc=ms(f"select count(*) from docs where bigrams @> '{b}' and strpos(search_text, '{q}') > 0")
    ttc=ms(f"select count(*) from docs where search_text like '%{q}%'")
    n=run(f"select count(*) from docs where strpos(search_text, '{q}') > 0").strip()
    print(f"| {q} | {n} | {tb:.1f} | {tt:.1f} | {tbc:.1f} | {ttc:.1f} |")
