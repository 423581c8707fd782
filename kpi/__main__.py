from kpi.entry import main

main()
